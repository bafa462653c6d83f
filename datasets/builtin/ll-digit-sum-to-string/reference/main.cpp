#include <cstdio>

int main() {
    int Q;
    if (scanf("%d", &Q) != 1) return 0;
    while (Q--) {
        long long L, R;
        int k;
        scanf("%lld %lld %d", &L, &R, &k);
        // Keep the decimal digits of x (least significant first) and their sum, and
        // update both like an odometer when moving from x to x + 1.
        int d[20] = {0};
        int s = 0;
        for (long long v = L, i = 0; v > 0; v /= 10, i++) {
            d[i] = (int)(v % 10);
            s += d[i];
        }
        const int kk = k;
        long long count = 0, total = 0;
        for (long long x = L;; x++) {
            total += s;
            count += s % kk == 0;
            if (x == R) break;
            int i = 0;
            while (d[i] == 9) {
                d[i++] = 0;
                s -= 9;
            }
            d[i]++;
            s++;
        }
        printf("%lld %lld\n", count, total);
    }
    return 0;
}
