package nnc.compiler.lsp;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A one-way byte pipe between threads. Unlike {@link java.io.PipedInputStream} it does not
 * break when a thread that wrote to it ends (the server writes from pooled threads).
 */
final class Pipe {
    private static final byte[] EOF = new byte[0];
    private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();

    final OutputStream out = new OutputStream() {
        @Override
        public void write(int b) {
            chunks.add(new byte[] {(byte) b});
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (len > 0) {
                chunks.add(Arrays.copyOfRange(b, off, off + len));
            }
        }

        @Override
        public void close() {
            chunks.add(EOF);
        }
    };

    final InputStream in = new InputStream() {
        private byte[] current = new byte[0];
        private int pos;

        @Override
        public int read() {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (len == 0) {
                return 0;
            }
            while (current != EOF && pos == current.length) {
                try {
                    current = chunks.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return -1;
                }
                pos = 0;
            }
            if (current == EOF) {
                chunks.add(EOF);
                return -1;
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }
    };
}
