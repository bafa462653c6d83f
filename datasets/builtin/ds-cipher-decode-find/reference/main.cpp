#include <iostream>
#include <string>
using namespace std;

int main() {
    ios::sync_with_stdio(false);
    cin.tie(nullptr);
    string key, line;
    getline(cin, key);
    // Inverse table, built once: decode[c] is the plain letter for cipher byte c.
    char decode[256];
    for (int c = 0; c < 256; c++) decode[c] = char(c);
    for (size_t i = key.size(); i-- > 0;) decode[(unsigned char)key[i]] = char('a' + i);
    while (getline(cin, line)) {
        for (char& c : line) c = decode[(unsigned char)c];
        cout << line << '\n';
    }
    return 0;
}
