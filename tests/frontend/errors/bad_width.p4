// expect: 2:18: error: expected a width (an integer or a parenthesized expression) in bit<...> before 'W'
header h_t { bit<W> f; }
