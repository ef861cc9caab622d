package org.ncf4j.server.retrieval;

import static org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS;

import java.util.Arrays;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.apache.lucene.util.hnsw.NeighborArray;
import org.apache.lucene.util.hnsw.OnHeapHnswGraph;

/**
 * A finished HNSW graph in a few arrays: per level, the neighbours of every node one after another and where each
 * node's begin. Lucene's on-heap graph, made for building, keeps two objects and two arrays of the largest size per
 * node and level, with each neighbour's score (about 300 bytes a node at M 16); this keeps 4 bytes per neighbour and
 * per node (about 100), in the order the builder left them. Searches read it through their own {@link #cursor}.
 */
final class CompactGraph {
    private final int size;
    private final int entryNode;
    /** Level 0 holds every node (0 .. size - 1); above it, the sorted nodes of each level. */
    private final int[][] nodes;
    /** Per level, where each node's neighbours begin in {@link #neighbours} (one more entry: the end). */
    private final int[][] starts;
    private final int[][] neighbours;

    private CompactGraph(int size, int entryNode, int[][] nodes, int[][] starts, int[][] neighbours) {
        this.size = size;
        this.entryNode = entryNode;
        this.nodes = nodes;
        this.starts = starts;
        this.neighbours = neighbours;
    }

    static CompactGraph of(OnHeapHnswGraph g) {
        int levels = g.numLevels();
        int[][] nodes = new int[levels][];
        int[][] starts = new int[levels][];
        int[][] neighbours = new int[levels][];
        for (int level = 0; level < levels; level++) {
            int[] onLevel = level == 0 ? null : HnswGraph.NodesIterator.getSortedNodes(g.getNodesOnLevel(level));
            int n = level == 0 ? g.size() : onLevel.length;
            int[] start = new int[n + 1];
            for (int i = 0; i < n; i++) {
                start[i + 1] = start[i] + g.getNeighbors(level, level == 0 ? i : onLevel[i]).size();
            }
            int[] all = new int[start[n]];
            for (int i = 0; i < n; i++) {
                NeighborArray a = g.getNeighbors(level, level == 0 ? i : onLevel[i]);
                System.arraycopy(a.nodes(), 0, all, start[i], a.size());
            }
            nodes[level] = onLevel;
            starts[level] = start;
            neighbours[level] = all;
        }
        return new CompactGraph(g.size(), g.entryNode(), nodes, starts, neighbours);
    }

    int size() {
        return size;
    }

    /** The arrays' heap use in bytes. */
    long bytes() {
        long b = 0;
        for (int level = 0; level < starts.length; level++) {
            b += 4L * (starts[level].length + neighbours[level].length + (nodes[level] == null ? 0
                    : nodes[level].length)) + 48;
        }
        return b;
    }

    /** A view of the graph for one search: its own position among a node's neighbours. */
    HnswGraph cursor() {
        return new Cursor();
    }

    private final class Cursor extends HnswGraph {
        private int[] list = new int[0];
        private int at;
        private int end;

        @Override
        public void seek(int level, int target) {
            int i = level == 0 ? target : Arrays.binarySearch(nodes[level], target);
            if (i < 0) {
                throw new IllegalArgumentException("node " + target + " is not on level " + level);
            }
            list = neighbours[level];
            at = starts[level][i] - 1;
            end = starts[level][i + 1];
        }

        @Override
        public int nextNeighbor() {
            return ++at < end ? list[at] : NO_MORE_DOCS;
        }

        @Override
        public int size() {
            return size;
        }

        @Override
        public int numLevels() {
            return starts.length;
        }

        @Override
        public int entryNode() {
            return entryNode;
        }

        @Override
        public NodesIterator getNodesOnLevel(int level) {
            return level == 0 ? new ArrayNodesIterator(size) : new ArrayNodesIterator(nodes[level],
                    nodes[level].length);
        }
    }
}
