# Settings every optiloop target links: the language level and the warnings.
add_library(optiloop_settings INTERFACE)
target_compile_features(optiloop_settings INTERFACE cxx_std_20)
target_compile_definitions(optiloop_settings INTERFACE
  OPTILOOP_VERSION="${PROJECT_VERSION}"
  OPTILOOP_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
if(OPTILOOP_SANITIZE)
  target_compile_options(optiloop_settings INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(optiloop_settings INTERFACE -fsanitize=address,undefined)
endif()

add_library(optiloop_warnings INTERFACE)
target_compile_options(optiloop_warnings INTERFACE -Wall -Wextra -Wpedantic
  $<$<BOOL:${OPTILOOP_WERROR}>:-Werror>)
# GCC 12 reports impossible overlaps inside libstdc++'s own std::string code at -O3
# (GCC bug 105329, fixed in GCC 13); it says nothing about our code.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(optiloop_warnings INTERFACE -Wno-restrict)
endif()

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
  set(CMAKE_C_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
  set(CMAKE_CUDA_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
endif()

# One library per folder: sources under src/, public headers under include/optiloop/<name>/.
function(optiloop_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(optiloop_${name} STATIC ${ARG_SOURCES})
  add_library(optiloop::${name} ALIAS optiloop_${name})
  target_include_directories(optiloop_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                                              PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_link_libraries(optiloop_${name} PUBLIC optiloop_settings ${ARG_DEPS}
                                         PRIVATE optiloop_warnings ${ARG_PRIVATE_DEPS})
  # Up to eight files compile as one translation unit: the headers they share (the standard
  # library's, nlohmann/json, CLI11, which defines its validators at namespace scope and costs
  # ~10 s of code generation in every optimised file that includes it) are compiled once a batch.
  # Names in the files' anonymous namespaces must differ. Files with their own compile options
  # (the analyzer's -fno-rtti ones) stay apart.
  set_target_properties(optiloop_${name} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
endfunction()
