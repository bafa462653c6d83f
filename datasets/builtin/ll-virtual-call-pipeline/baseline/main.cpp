#include <cstdio>
#include <cstring>
#include <cstdint>
#include <memory>
#include <vector>
using namespace std;

// Input: n seed m, then m lines "OP c" with OP one of add, mul, xor, shr, and
// (c is an unsigned 32-bit constant; for shr 0 <= c <= 31).
// Sample i starts as the i-th output of a 64-bit LCG (upper 32 bits), or, when seed == 0,
// n samples follow the stages. Every sample goes through the stages in order, with
// unsigned 32-bit wrap-around arithmetic. Print the 64-bit sum and the XOR of the results.
struct Stage {
    virtual ~Stage() {}
    virtual uint32_t apply(uint32_t x) const = 0;
};
struct Add : Stage { uint32_t c; Add(uint32_t c) : c(c) {} uint32_t apply(uint32_t x) const override { return x + c; } };
struct Mul : Stage { uint32_t c; Mul(uint32_t c) : c(c) {} uint32_t apply(uint32_t x) const override { return x * c; } };
struct Xor : Stage { uint32_t c; Xor(uint32_t c) : c(c) {} uint32_t apply(uint32_t x) const override { return x ^ c; } };
struct Shr : Stage { uint32_t c; Shr(uint32_t c) : c(c) {} uint32_t apply(uint32_t x) const override { return x >> c; } };
struct And : Stage { uint32_t c; And(uint32_t c) : c(c) {} uint32_t apply(uint32_t x) const override { return x & c; } };

int main() {
    int n, m;
    unsigned long long seed;
    if (scanf("%d %llu %d", &n, &seed, &m) != 3) return 0;
    vector<unique_ptr<Stage>> stages;
    for (int k = 0; k < m; k++) {
        char op[8];
        unsigned c;
        scanf("%7s %u", op, &c);
        if (!strcmp(op, "add")) stages.emplace_back(new Add(c));
        else if (!strcmp(op, "mul")) stages.emplace_back(new Mul(c));
        else if (!strcmp(op, "xor")) stages.emplace_back(new Xor(c));
        else if (!strcmp(op, "shr")) stages.emplace_back(new Shr(c));
        else stages.emplace_back(new And(c));
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
    unsigned long long sum = 0;
    uint32_t hx = 0;
    for (int i = 0; i < n; i++) {
        uint32_t x = v[i];
        for (auto& st : stages) x = st->apply(x);
        sum += x;
        hx ^= x;
    }
    printf("%llu %u\n", sum, hx);
    return 0;
}
