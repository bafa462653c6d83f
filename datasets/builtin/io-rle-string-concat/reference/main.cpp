#include <iostream>
#include <string>
using namespace std;

int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    string s;
    cin >> s;
    string res;
    res.reserve(s.size() * 2 + 16);
    size_t i = 0;
    char num[24];
    while (i < s.size()) {
        size_t j = i;
        while (j < s.size() && s[j] == s[i]) j++;
        res += s[i];
        size_t len = j - i;
        int k = 0;
        do { num[k++] = char('0' + len % 10); len /= 10; } while (len);
        while (k) res += num[--k];
        i = j;
    }
    cout << res << "\n";
    return 0;
}
