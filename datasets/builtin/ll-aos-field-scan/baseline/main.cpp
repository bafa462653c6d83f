#include <cstdio>
#include <vector>
using namespace std;

// Input: n Q seed. When seed == 0, n lines "x y z vx vy vz mass energy" follow
// (energy an integer in [0, 9999], n <= 200000); otherwise the particles are produced by
// a 64-bit LCG. Then Q lines "lo hi". For each query print how many particles have
// lo <= energy <= hi.
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
    for (int q = 0; q < Q; q++) {
        int lo, hi;
        scanf("%d %d", &lo, &hi);
        int cnt = 0;
        for (const Particle& p : ps)
            if (p.energy >= lo && p.energy <= hi) cnt++;
        printf("%d\n", cnt);
    }
    return 0;
}
