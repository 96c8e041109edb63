{
  # The node-gyp build of the CPU addon (the path prebuildify and users without cmake
  # take). CMakeLists.txt is the main build; both read csrc/sources.txt. libtorch is
  # taken from $LIBTORCH, else Debian's system install.
  "variables": {
    "libtorch%": "<!(node -p \"process.env.LIBTORCH || ''\")"
  },
  "targets": [
    {
      "target_name": "torchopt_node",
      "sources": ["<!@(node -p \"require('fs').readFileSync('csrc/sources.txt','utf8').split('\\n').filter(l=>l&&!l.startsWith('#')).join(' ')\")"],
      "include_dirs": ["csrc"],
      "defines": [
        "NAPI_EXPERIMENTAL",
        "_GLIBCXX_USE_CXX11_ABI=1",
        "<!@(node scripts/gyp-defines.js)"
      ],
      "cflags!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++14", "-std=gnu++17"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-frtti", "-O2", "-fvisibility=hidden", "-fno-math-errno", "-ffp-contract=off"],
      "conditions": [
        ["libtorch==''", {
          "include_dirs": ["/usr/include/torch/csrc/api/include"],
          "libraries": ["-ltorch", "-ltorch_cpu", "-lc10"]
        }, {
          "include_dirs": ["<(libtorch)/include", "<(libtorch)/include/torch/csrc/api/include"],
          "libraries": ["-L<(libtorch)/lib", "-Wl,-rpath,<(libtorch)/lib", "-ltorch", "-ltorch_cpu", "-lc10"]
        }]
      ]
    }
  ]
}
