// MariaDB Connector/C (libmariadb-dev) for the MySQL/MariaDB driver, built only with the package
// trait `MySQL`.
#include <mysql.h>
#include <errmsg.h>
#include <mysqld_error.h>

// mysql_optionsv is variadic, which Swift cannot call: these fix its arguments.
static inline int customerflow_mysql_set_string_option(MYSQL *mysql, enum mysql_option option, const char *value) {
    return mysql_optionsv(mysql, option, value);
}

static inline int customerflow_mysql_set_uint_option(MYSQL *mysql, enum mysql_option option, unsigned int value) {
    return mysql_optionsv(mysql, option, &value);
}

static inline int customerflow_mysql_set_bool_option(MYSQL *mysql, enum mysql_option option, my_bool value) {
    return mysql_optionsv(mysql, option, &value);
}
