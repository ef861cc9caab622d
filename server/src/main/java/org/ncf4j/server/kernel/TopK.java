package org.ncf4j.server.kernel;

/** The k largest of an array of logits, best first; equal logits by the lower index (as ONNX TopK orders them). */
public final class TopK {
    private TopK() {
    }

    /** Indices of the k best values of {@code v} (k at most its length). */
    public static int[] best(float[] v, int k) {
        if (k <= 0) {
            return new int[0];
        }
        int[] heap = new int[k]; // a min-heap by rank: heap[0] is the worst of the k kept
        for (int i = 0; i < k; i++) {
            heap[i] = i;
            up(heap, i, v);
        }
        for (int i = k; i < v.length; i++) {
            if (better(v, i, heap[0])) {
                heap[0] = i;
                down(heap, 0, k, v);
            }
        }
        int[] out = new int[k];
        for (int n = k; n > 0; n--) { // pop the worst to the end
            out[n - 1] = heap[0];
            heap[0] = heap[n - 1];
            down(heap, 0, n - 1, v);
        }
        return out;
    }

    /** Whether item a ranks before item b. */
    private static boolean better(float[] v, int a, int b) {
        return v[a] > v[b] || (v[a] == v[b] && a < b) || (Float.isNaN(v[b]) && !Float.isNaN(v[a]));
    }

    private static void up(int[] h, int i, float[] v) {
        while (i > 0) {
            int parent = (i - 1) / 2;
            if (!better(v, h[parent], h[i])) {
                return;
            }
            swap(h, i, parent);
            i = parent;
        }
    }

    private static void down(int[] h, int i, int n, float[] v) {
        while (true) {
            int l = 2 * i + 1;
            if (l >= n) {
                return;
            }
            int worst = l + 1 < n && better(v, h[l], h[l + 1]) ? l + 1 : l;
            if (!better(v, h[i], h[worst])) {
                return;
            }
            swap(h, i, worst);
            i = worst;
        }
    }

    private static void swap(int[] h, int a, int b) {
        int t = h[a];
        h[a] = h[b];
        h[b] = t;
    }
}
