// expect: 2:2: error: #error this build is not supported
#error this build is not supported
