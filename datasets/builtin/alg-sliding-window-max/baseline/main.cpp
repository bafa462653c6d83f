#include <iostream>
#include <vector>

int main() {
    std::ios::sync_with_stdio(false);
    std::cin.tie(nullptr);
    int n, k;
    if (!(std::cin >> n >> k)) return 0;
    std::vector<long long> a(n);
    for (auto& x : a) std::cin >> x;
    for (int i = 0; i + k <= n; i++) {
        long long best = a[i];
        for (int j = i + 1; j < i + k; j++)
            if (a[j] > best) best = a[j];
        std::cout << best << (i + k == n ? '\n' : ' ');
    }
    return 0;
}
