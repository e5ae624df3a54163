/* RESOLVED(o, cpe, method, confidence): o is resolved to cpe by method at confidence
 * (within 0.001), else the test fails with o's reason. For the resolver's tests. */
#ifndef LF_TEST_RESOLVE_ASSERT_H
#define LF_TEST_RESOLVE_ASSERT_H

#define RESOLVED(o, cpe_, method_, conf_)                                                    \
    do {                                                                                     \
        if ((o).bucket != LF_BUCKET_RESOLVED)                                                \
            fail_msg("unresolved (%s), want %s", (o).reason ? (o).reason : "", cpe_);       \
        assert_string_equal((o).cpe, cpe_);                                                  \
        assert_string_equal((o).method, method_);                                            \
        assert_true((o).confidence > (conf_)-0.001 && (o).confidence < (conf_) + 0.001);     \
    } while (0)

#endif
