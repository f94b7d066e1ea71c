package nnc.compiler.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** How a failed source is described: network exceptions often carry no message of their own. */
class DatasetFetcherTest {
    @Test
    void networkFailuresAreSaidInWords() {
        assertEquals("could not connect", DatasetFetcher.why(new ConnectException()));
        assertEquals("could not connect (Connection refused)", DatasetFetcher.why(new ConnectException("Connection refused")));
        assertEquals("unknown host example.org (no network or DNS?)", DatasetFetcher.why(new UnknownHostException("example.org")));
        assertEquals("timed out", DatasetFetcher.why(new java.net.http.HttpTimeoutException("request timed out")));
        assertEquals("t10k-images-idx3-ubyte: wrong checksum", DatasetFetcher.why(new IOException("t10k-images-idx3-ubyte: wrong checksum")));
        assertEquals("IOException", DatasetFetcher.why(new IOException()));
    }
}
