// expect: 2:33: error: expected '>' before 'f'
struct s_t { tuple<bit<8>, bool f; }
