#include <optiloop/cli/cli.hpp>

int main(int argc, char** argv) { return optiloop::cli::run(argc, argv); }
