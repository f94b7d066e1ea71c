package nnc.compiler.ir;

import java.util.List;
import java.util.Map;

/**
 * A replacement proposed by an op for FuseOps: {@code node} becomes a new node of
 * {@code op}/{@code attrs} over {@code inputs}, and each value in {@code replaces} is then
 * read from the new node instead (the nodes that produced them become dead and are dropped).
 */
public record Rewrite(int node, Op op, Object attrs, List<Integer> inputs, Map<Integer, Integer> replaces,
                      String description) {
}
