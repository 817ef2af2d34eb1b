import nock from 'nock';

// No test may reach a real Google by accident: only this machine's loopback is allowed.
nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/);
