#include <iostream>
#include <vector>

int main() {
    std::ios::sync_with_stdio(false);
    std::cin.tie(nullptr);
    int n;
    if (!(std::cin >> n)) return 0;
    std::vector<long long> a(n);
    for (auto& x : a) std::cin >> x;
    for (int i = 0; i < n; i++) {
        int next = 0;  // 1-based position, 0 when there is none
        for (int j = i + 1; j < n; j++)
            if (a[j] > a[i]) {
                next = j + 1;
                break;
            }
        std::cout << next << (i + 1 == n ? '\n' : ' ');
    }
    return 0;
}
