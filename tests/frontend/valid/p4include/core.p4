// Not P4: the tests run in valid/, and the bundled v1model.p4's
// `#include "core.p4"` must find the bundled core.p4, never this file,
// although its made-up path is p4include/v1model.p4.
#error the bundled v1model.p4 included ./p4include/core.p4 from the disk
