// Transpose through shared memory: each block of 32x8 threads moves one 32x32 tile. It reads the
// tile row by row from in (each warp one 128-byte row segment, coalesced; every thread four rows,
// 8 apart), stores it in shared memory, and after a barrier writes it out row by row of out, i.e.
// column by column of the tile, again 128 contiguous bytes per warp. The tile's rows are padded
// to 33 floats: reading a tile column touches addresses 33 apart, 32 different banks, where an
// unpadded 32-float row would put the whole column in one bank (a 32-way conflict).
//
// The grid is one-dimensional over all tiles, column tiles fastest: a 2^26-long column is over
// 2 million tiles, beyond gridDim.y (65535) but far inside gridDim.x. Tiles cut by the matrix's
// edge (rows or cols not multiples of 32, down to a single row or column) guard every load and
// store, and their threads outside the matrix still reach the barrier.
#include "api.cuh"

namespace {

constexpr int k_tile = 32;         // tile side, one warp wide
constexpr int k_block_rows = 8;    // threads per block: k_tile x k_block_rows
constexpr int k_per_thread = k_tile / k_block_rows;

__global__ void __launch_bounds__(k_tile * k_block_rows)
    transpose_tiled(const float* in, float* out, int rows, int cols, int col_tiles) {
    __shared__ float tile[k_tile][k_tile + 1];
    const int tile_row = blockIdx.x / col_tiles, tile_col = blockIdx.x % col_tiles;
    const int row0 = tile_row * k_tile, col0 = tile_col * k_tile;
    const int tx = threadIdx.x, ty = threadIdx.y;

    // in[row0 + ty + 8i][col0 + tx] -> tile[ty + 8i][tx]
    const int col = col0 + tx;
#pragma unroll
    for (int i = 0; i < k_per_thread; ++i) {
        const int row = row0 + ty + i * k_block_rows;
        if (row < rows && col < cols) tile[ty + i * k_block_rows][tx] = in[static_cast<size_t>(row) * cols + col];
    }
    __syncthreads();
    // tile[tx][ty + 8i] = in[row0 + tx][col0 + ty + 8i] -> out[col0 + ty + 8i][row0 + tx]
    const int out_col = row0 + tx;
#pragma unroll
    for (int i = 0; i < k_per_thread; ++i) {
        const int out_row = col0 + ty + i * k_block_rows;
        if (out_row < cols && out_col < rows) out[static_cast<size_t>(out_row) * rows + out_col] = tile[tx][ty + i * k_block_rows];
    }
}

}  // namespace

void transpose(const float* in, float* out, int rows, int cols, cudaStream_t stream) {
    const int row_tiles = (rows + k_tile - 1) / k_tile, col_tiles = (cols + k_tile - 1) / k_tile;
    // At most 2^21 tiles (a 2^26-long row or column), far below gridDim.x's limit of 2^31 - 1.
    const unsigned tiles = static_cast<unsigned>(row_tiles) * static_cast<unsigned>(col_tiles);
    transpose_tiled<<<tiles, dim3(k_tile, k_block_rows), 0, stream>>>(in, out, rows, cols, col_tiles);
}
