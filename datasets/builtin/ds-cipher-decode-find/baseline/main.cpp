#include <iostream>
#include <string>
using namespace std;

int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    string key, line;
    getline(cin, key);
    while (getline(cin, line)) {
        for (char& c : line) {
            size_t pos = key.find(c);
            if (pos != string::npos) c = char('a' + pos);
        }
        cout << line << '\n';
    }
    return 0;
}
