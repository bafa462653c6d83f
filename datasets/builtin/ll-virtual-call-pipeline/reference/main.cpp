#include <cstdio>
#include <cstring>
#include <cstdint>
#include <vector>
using namespace std;

enum Op { ADD, MUL, XOR, SHR, AND };

int main() {
    int n, m;
    unsigned long long seed;
    if (scanf("%d %llu %d", &n, &seed, &m) != 3) return 0;
    vector<pair<Op, uint32_t>> stages;
    for (int k = 0; k < m; k++) {
        char op[8];
        unsigned c;
        scanf("%7s %u", op, &c);
        Op o = !strcmp(op, "add") ? ADD : !strcmp(op, "mul") ? MUL : !strcmp(op, "xor") ? XOR
             : !strcmp(op, "shr") ? SHR : AND;
        stages.push_back({o, c});
    }
    vector<uint32_t> v(n);
    unsigned long long s = seed;
    for (int i = 0; i < n; i++) {
        if (seed == 0) {
            scanf("%u", &v[i]);
        } else {
            s = s * 6364136223846793005ULL + 1442695040888963407ULL;
            v[i] = (uint32_t)(s >> 32);
        }
    }
    // One dispatch per stage, then a plain loop over all samples that the compiler vectorizes.
    uint32_t* __restrict p = v.data();
    const size_t len = n;
    for (auto [op, c] : stages) {
        switch (op) {
            case ADD: for (size_t i = 0; i < len; i++) p[i] += c; break;
            case MUL: for (size_t i = 0; i < len; i++) p[i] *= c; break;
            case XOR: for (size_t i = 0; i < len; i++) p[i] ^= c; break;
            case SHR: for (size_t i = 0; i < len; i++) p[i] >>= c; break;
            case AND: for (size_t i = 0; i < len; i++) p[i] &= c; break;
        }
    }
    unsigned long long sum = 0;
    uint32_t hx = 0;
    for (size_t i = 0; i < len; i++) {
        sum += p[i];
        hx ^= p[i];
    }
    printf("%llu %u\n", sum, hx);
    return 0;
}
