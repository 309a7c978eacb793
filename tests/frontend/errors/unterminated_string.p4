// expect: 2:18: error: missing terminating '"' character
const string S = "abc;
