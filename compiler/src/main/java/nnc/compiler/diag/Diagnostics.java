package nnc.compiler.diag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The diagnostics of one compilation, in the order found; printed sorted by position. */
public final class Diagnostics {
    private final SourceFile source;
    private final List<Diagnostic> list = new ArrayList<>();

    public Diagnostics(SourceFile source) {
        this.source = source;
    }

    public SourceFile source() {
        return source;
    }

    public void error(Span span, String message) {
        add(new Diagnostic(Diagnostic.Severity.ERROR, span, message, null));
    }

    public void error(Span span, String message, String hint) {
        add(new Diagnostic(Diagnostic.Severity.ERROR, span, message, hint));
    }

    public void warning(Span span, String message, String hint) {
        add(new Diagnostic(Diagnostic.Severity.WARNING, span, message, hint));
    }

    /** The same mistake found twice (by the training and the inference graph, say) is reported once. */
    private void add(Diagnostic d) {
        if (!list.contains(d)) {
            list.add(d);
        }
    }

    public boolean hasErrors() {
        return list.stream().anyMatch(d -> d.severity() == Diagnostic.Severity.ERROR);
    }

    public int errorCount() {
        return (int) list.stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR).count();
    }

    public List<Diagnostic> all() {
        return list.stream().sorted(Comparator.comparingInt((Diagnostic d) -> d.span().start())).toList();
    }

    public List<Diagnostic> errors() {
        return all().stream().filter(d -> d.severity() == Diagnostic.Severity.ERROR).toList();
    }
}
