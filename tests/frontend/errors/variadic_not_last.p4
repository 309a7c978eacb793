// expect: 2:17: error: '...' must be the last parameter of macro 'M'
#define M(a, ..., b) a
