package nnc.compiler.codegen;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/** The {@code static final} constants ops ask for while emitting; equal initialisers share one. */
final class Constants {
    private final Names names;
    private final Map<String, String> byInitializer = new LinkedHashMap<>();
    private final List<FieldSpec> fields = new ArrayList<>();

    Constants(Names names) {
        this.names = names;
    }

    CodeBlock get(Class<?> type, CodeBlock initializer, String hint) {
        String key = type.getName() + "=" + initializer;
        String name = byInitializer.get(key);
        if (name == null) {
            name = names.fresh(Names.constant(hint));
            byInitializer.put(key, name);
            fields.add(FieldSpec.builder(type, name, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .initializer(initializer).build());
        }
        return CodeBlock.of("$N", name);
    }

    List<FieldSpec> fields() {
        return fields;
    }
}
