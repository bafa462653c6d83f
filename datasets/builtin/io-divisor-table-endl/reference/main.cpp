#include <cstdio>
#include <string>
#include <vector>
using namespace std;

int main() {
    int n;
    if (scanf("%d", &n) != 1) return 0;
    vector<int> divs(n + 1, 0);
    for (int i = 1; i <= n; i++)
        for (int j = i; j <= n; j += i)
            divs[j]++;
    // Build the whole output in one buffer and write it once.
    string out;
    out.reserve((size_t)n * 5 + 16);
    char tmp[16];
    for (int i = 1; i <= n; i++) {
        int v = divs[i], k = 0;
        do { tmp[k++] = char('0' + v % 10); v /= 10; } while (v);
        while (k) out.push_back(tmp[--k]);
        out.push_back('\n');
    }
    fwrite(out.data(), 1, out.size(), stdout);
    return 0;
}
