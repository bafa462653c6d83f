#include <cstdio>
#include <deque>
#include <vector>
using namespace std;

int main() {
    int n;
    long long quantum;
    if (scanf("%d %lld", &n, &quantum) != 2) return 0;
    vector<long long> remaining(n), finish(n, 0);
    for (int i = 0; i < n; i++) scanf("%lld", &remaining[i]);
    deque<int> ready;
    for (int i = 0; i < n; i++) ready.push_back(i);
    long long now = 0;
    while (!ready.empty()) {
        int p = ready.front();
        ready.pop_front();
        long long run = remaining[p] < quantum ? remaining[p] : quantum;
        now += run;
        remaining[p] -= run;
        if (remaining[p] > 0) ready.push_back(p);
        else finish[p] = now;
    }
    for (int i = 0; i < n; i++) printf("%lld\n", finish[i]);
    return 0;
}
