package nnc.compiler.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;

/** Words for what went wrong outside nnc's control (the disk) and the report of a bug in nnc. */
final class Failures {
    private Failures() {
    }

    /** An I/O failure as one line: which file, and why, without Java's exception names. */
    static String describe(Throwable e) {
        if (e instanceof FileSystemException f && f.getFile() != null) {
            String why = switch (f) {
                case NoSuchFileException x -> "no such file or folder";
                case AccessDeniedException x -> "permission denied";
                case NotDirectoryException x -> "not a folder";
                case FileAlreadyExistsException x -> "already exists";
                case DirectoryNotEmptyException x -> "the folder is not empty";
                default -> f.getReason() != null ? f.getReason() : "failed";
            };
            return "cannot use " + f.getFile() + (f.getOtherFile() != null ? " (" + f.getOtherFile() + ")" : "") + ": " + why;
        }
        String message = e.getMessage();
        return "input/output error: " + (message == null || message.isBlank() ? e.getClass().getSimpleName() : message);
    }

    /** Where the trace of an internal error went: a file to attach to the report (never the terminal). */
    static String report(Throwable e) {
        StringWriter trace = new StringWriter();
        e.printStackTrace(new PrintWriter(trace));
        try {
            Path file = Files.createTempFile("nnc-internal-error-", ".txt");
            Files.writeString(file, trace.toString());
            return "please report it with the input that caused it and " + file;
        } catch (IOException | RuntimeException io) {
            return "please report it with the input that caused it";
        }
    }
}
