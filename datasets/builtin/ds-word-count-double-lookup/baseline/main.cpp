#include <iostream>
#include <map>
#include <string>
using namespace std;

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
        if (count.count(word)) {
            count[word] += 1;
            if (count[word] > best) {
                best = count[word];
                best_word = word;
            }
        } else {
            count[word] = 1;
            if (best == 0) {
                best = 1;
                best_word = word;
            }
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
