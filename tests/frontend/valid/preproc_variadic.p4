// preproc_variadic.p4 - variadic macros (__VA_ARGS__, empty or with
// commas), __LINE__ and __FILE__ (where the macro is used).
#define LOG(fmt, ...) log_msg(fmt, { __VA_ARGS__ })
#define FIRST(a, ...) a
#define NONE(...) 7
#define HERE __LINE__
const bit<32> L = __LINE__;
const bit<32> L2 = HERE;
const bit<8> F = FIRST(1, 2, 3) + NONE() + NONE(1, (2, 3));
const string S = __FILE__;
action a(in bit<8> x, in bit<8> y) { LOG("x {} y {}", x, y); }
