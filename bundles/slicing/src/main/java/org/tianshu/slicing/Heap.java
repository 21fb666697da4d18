package org.tianshu.slicing;

/** An indexed binary min-heap of router numbers keyed by a distance array it does not own. */
final class Heap {
    private final long[] key;
    private final int[] heap;
    /** Position of each router in the heap; -1 once popped. Meaningful only for routers pushed in this search. */
    final int[] pos;
    int size;

    Heap(long[] key) {
        this.key = key;
        heap = new int[key.length];
        pos = new int[key.length];
    }

    long topKey() {
        return key[heap[0]];
    }

    void push(int v) {
        heap[size] = v;
        pos[v] = size;
        up(size++);
    }

    /** After {@code key[v]} decreased. */
    void decreased(int v) {
        up(pos[v]);
    }

    int pop() {
        int top = heap[0];
        pos[top] = -1;
        int last = heap[--size];
        if (size > 0) {
            heap[0] = last;
            pos[last] = 0;
            down(0);
        }
        return top;
    }

    private void up(int i) {
        int v = heap[i];
        long d = key[v];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            int p = heap[parent];
            if (key[p] <= d) {
                break;
            }
            heap[i] = p;
            pos[p] = i;
            i = parent;
        }
        heap[i] = v;
        pos[v] = i;
    }

    private void down(int i) {
        int v = heap[i];
        long d = key[v];
        int half = size >>> 1;
        while (i < half) {
            int c = 2 * i + 1;
            int r = c + 1;
            if (r < size && key[heap[r]] < key[heap[c]]) {
                c = r;
            }
            if (d <= key[heap[c]]) {
                break;
            }
            heap[i] = heap[c];
            pos[heap[i]] = i;
            i = c;
        }
        heap[i] = v;
        pos[v] = i;
    }
}
