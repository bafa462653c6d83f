#include <iostream>
#include <vector>

int main() {
    std::ios::sync_with_stdio(false);
    std::cin.tie(nullptr);
    int n;
    if (!(std::cin >> n)) return 0;
    std::vector<long long> a(n);
    for (auto& x : a) std::cin >> x;
    std::vector<int> next(n, 0);  // 1-based position, 0 when there is none
    std::vector<int> stack;       // positions right of i, values strictly decreasing from bottom
    for (int i = n - 1; i >= 0; i--) {
        while (!stack.empty() && a[stack.back()] <= a[i]) stack.pop_back();
        next[i] = stack.empty() ? 0 : stack.back() + 1;
        stack.push_back(i);
    }
    for (int i = 0; i < n; i++) std::cout << next[i] << (i + 1 == n ? '\n' : ' ');
    return 0;
}
