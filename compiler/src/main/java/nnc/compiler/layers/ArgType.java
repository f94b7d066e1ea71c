package nnc.compiler.layers;

/** The kinds of argument a layer, data source or setting takes; {@link Binder} checks them. */
public enum ArgType {
    /** A whole number >= 1 (units, channels, kernel size). */
    POSITIVE_INT("a whole number >= 1"),
    /** A whole number >= 0. */
    COUNT("a whole number >= 0"),
    /** Any number. */
    NUMBER("a number"),
    /** A number > 0. */
    POSITIVE("a number > 0"),
    /** A probability in [0, 1). */
    PROBABILITY("a number in [0, 1)"),
    /** A fraction in [0, 1]. */
    FRACTION("a number in [0, 1]"),
    /** true or false. */
    BOOL("true or false"),
    /** One of the listed names. */
    CHOICE("one of the names"),
    /** A string in double quotes. */
    STRING("a string"),
    /** A string or a bare name. */
    NAME_OR_STRING("a name or a string"),
    /** An initialiser: he, glorot, zeros, ones, normal(std), uniform(limit), constant(v). */
    INIT("an initialiser (he, glorot, zeros, ones, normal(std), uniform(limit), constant(v))"),
    /** A number or a (nested) list of numbers: fixed weights. */
    NUMBERS("a number or a list of numbers"),
    /** same, valid, or a whole number >= 0. */
    PADDING("'same', 'valid' or a whole number >= 0"),
    /** A whole number >= 1, or a list of two. */
    SIZE2("a whole number >= 1 or a pair [h, w]"),
    /** A list of numbers. */
    NUMBER_LIST("a list of numbers"),
    /** One number, or a list of numbers (one per channel). */
    NUMBER_OR_LIST("a number or a list of numbers, one per channel"),
    /** Any value, checked by the user of the argument. */
    ANY("a value");

    private final String description;

    ArgType(String description) {
        this.description = description;
    }

    public String description() {
        return description;
    }
}
