// expect: 5:9: error: an instantiation is not allowed here
#include <v1model.p4>
control C() {
    apply {
        register<bit<8>, bit<8>>(4) r;
    }
}
