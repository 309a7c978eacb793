// expect: 2:20: error: expected '<' and a width after 'varbit'
header h_t { varbit f; }
