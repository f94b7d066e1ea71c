package nnc.runtime.serve;

/** The help texts of a model jar's commands. */
final class Usage {
    private Usage() {
    }

    static String main(String prog, ModelJar jar) {
        return "Usage: " + prog + " COMMAND [OPTIONS]\n"
                + "The model " + jar.get(ModelJar.CLASS) + ", compiled by nnc from " + jar.get(ModelJar.SOURCE) + ".\n\n"
                + "Commands:\n"
                + "  predict FILE...     Print the class and its probability (or the outputs) for each input.\n"
                + "  evaluate DATASET    Print the loss and accuracy on a labelled dataset.\n"
                + "  info                Print the model's summary, preprocessing and where its weights came from.\n\n"
                + "Run '" + prog + " COMMAND --help' for a command's options.\n"
                + "Exit codes: 0 ok, 1 a bad input, 2 a usage error, 3 an internal error.\n";
    }

    static String predict(String prog) {
        return "Usage: " + prog + " predict [--top K] [--format text|json|csv] [--backend auto|simd|scalar] FILE...\n"
                + "Run the model on raw inputs: PNG, JPEG, GIF, BMP or PGM/PPM images (converted to the model's\n"
                + "channels and resized to its input), IDX files (one sample per item) or CSV rows (the input's\n"
                + "values, optionally followed by the target columns). The model applies its own preprocessing.\n\n"
                + "  --top K          Print the K most probable classes (default 1).\n"
                + "  --format F       text (default), json (one object per input, exact numbers) or csv.\n"
                + "  --backend B      auto (default): scalar kernels in this JVM for a small job, else a second\n"
                + "                   JVM with the Vector API; simd: always the Vector API; scalar: never.\n"
                + "  -h, --help       Show this help.\n";
    }

    static String evaluate(String prog) {
        return "Usage: " + prog + " evaluate [--limit N] [--threads T] [--backend B] DATASET\n"
                + "Print 'test: loss=L accuracy=A (N samples)' on a dataset's test part, through the model's own\n"
                + "preprocessing. DATASET is a name on the dataset search path (mnist, fashion_mnist; see\n"
                + "NNC_DATA), a folder of IDX files or CIFAR-10 batches, or a CSV file (targets in the last columns).\n\n"
                + "  --limit N        Only the first N samples.\n"
                + "  --threads T      Threads for the kernels (default: all cores).\n"
                + "  --backend B      auto (default; as for predict: a --limit small enough stays scalar), simd, scalar.\n"
                + "  -h, --help       Show this help.\n";
    }

    static String info(String prog) {
        return "Usage: " + prog + " info\n"
                + "Print the model's layers, its input, preprocessing, outputs and classes, and where its weights\n"
                + "came from.\n";
    }
}
