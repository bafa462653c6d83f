#include <cstdio>
#include <algorithm>
#include <cstdint>
#include <vector>
using namespace std;

struct Particle {
    double x, y, z;
    double vx, vy, vz;
    float mass;
    int energy;
};

int main() {
    int n, Q;
    unsigned long long seed;
    if (scanf("%d %d %llu", &n, &Q, &seed) != 3) return 0;
    vector<Particle> ps(n);
    unsigned long long s = seed;
    auto next = [&]() {
        s = s * 6364136223846793005ULL + 1442695040888963407ULL;
        return (unsigned)(s >> 33);
    };
    for (int i = 0; i < n; i++) {
        Particle& p = ps[i];
        if (seed == 0) {
            scanf("%lf %lf %lf %lf %lf %lf %f %d", &p.x, &p.y, &p.z, &p.vx, &p.vy, &p.vz, &p.mass, &p.energy);
        } else {
            p.x = next() % 1000; p.y = next() % 1000; p.z = next() % 1000;
            p.vx = p.vy = p.vz = 0;
            p.mass = 1 + next() % 10;
            p.energy = next() % 10000;
        }
    }
    // The queries only look at the energy: copy it into its own contiguous array.
    // Energies are in [0, 9999], so 16 bits hold them and a vector register holds 8.
    vector<uint16_t> energy(n);
    for (int i = 0; i < n; i++) energy[i] = (uint16_t)ps[i].energy;
    const uint16_t* __restrict e = energy.data();
    const int len = n;
    for (int q = 0; q < Q; q++) {
        int lo, hi;
        scanf("%d %d", &lo, &hi);
        int cnt = 0;
        const int l = max(lo, 0), h = min(hi, 9999);
        if (l <= h) {
            // lo <= e <= hi  <=>  (uint16)(e - lo) <= hi - lo: one compare, branch-free.
            // Counted in 16-bit lanes, in blocks short enough that a lane cannot overflow.
            const uint16_t l16 = (uint16_t)l, span = (uint16_t)(h - l);
            for (int base = 0; base < len; base += 65535) {
                const int end = min(len, base + 65535);
                uint16_t c = 0;
                for (int i = base; i < end; i++) c += (uint16_t)(e[i] - l16) <= span;
                cnt += c;
            }
        }
        printf("%d\n", cnt);
    }
    return 0;
}
