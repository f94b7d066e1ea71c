package nnc.compiler.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Locale;

/**
 * Standard output and error that hand each {@code print}, {@code println} and {@code printf} to
 * the system in one write. The JDK's streams write a {@code printf} piece by piece ("nnc: median
 * epoch ", "0.50", " s; run folder ", ...), and {@code ./nnc} passes standard error through a
 * filter process: with both streams sent to one file, a line of standard output could land in
 * the middle of a line of standard error.
 */
final class WholeWrites extends PrintStream {
    WholeWrites(OutputStream raw, Charset charset) {
        super(raw, false, charset);
    }

    /** Replaces {@link System#out} and {@link System#err}, keeping their charsets. */
    static void install() {
        System.setOut(new WholeWrites(new FileOutputStream(FileDescriptor.out), System.out.charset()));
        System.setErr(new WholeWrites(new FileOutputStream(FileDescriptor.err), System.err.charset()));
    }

    @Override
    public PrintStream format(String format, Object... args) {
        print(String.format(format, args));
        return this;
    }

    @Override
    public PrintStream format(Locale l, String format, Object... args) {
        print(String.format(l, format, args));
        return this;
    }

    @Override
    public void println() {
        print(System.lineSeparator());
    }

    @Override
    public void println(String x) {
        print(x + System.lineSeparator());
    }

    @Override
    public void println(Object x) {
        print(String.valueOf(x) + System.lineSeparator());
    }

    @Override
    public void println(boolean x) {
        println(String.valueOf(x));
    }

    @Override
    public void println(char x) {
        println(String.valueOf(x));
    }

    @Override
    public void println(int x) {
        println(String.valueOf(x));
    }

    @Override
    public void println(long x) {
        println(String.valueOf(x));
    }

    @Override
    public void println(float x) {
        println(String.valueOf(x));
    }

    @Override
    public void println(double x) {
        println(String.valueOf(x));
    }

    @Override
    public void println(char[] x) {
        println(new String(x));
    }
}
