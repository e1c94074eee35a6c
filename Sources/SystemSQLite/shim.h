// The system's SQLite (Debian's libsqlite3-dev). The warehouse sandbox uses it for what SQLiteNIO's vendored build
// leaves out: the progress handler, the hard heap limit and access to the connection handle (decision 0008).
#include <sqlite3.h>
