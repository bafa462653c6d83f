#include <iostream>
#include <map>
#include <string>
using namespace std;

// One search per word: try_emplace finds the word or inserts it with 0, and the count is
// read and bumped through the iterator it returns.
int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    int n;
    cin >> n;
    map<string, int> count;
    string word, best_word;
    int best = 0;
    for (int i = 0; i < n; ++i) {
        cin >> word;
        const int seen = ++count.try_emplace(word, 0).first->second;
        if (seen > best) {
            best = seen;
            best_word = word;
        }
    }
    cout << count.size() << "\n";
    if (n > 0) {
        cout << best_word << " " << best << "\n";
        cout << count.begin()->first << " " << count.begin()->second << "\n";
        cout << count.rbegin()->first << " " << count.rbegin()->second << "\n";
    }
    return 0;
}
