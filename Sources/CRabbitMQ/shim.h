// rabbitmq-c (librabbitmq-dev) for the RabbitMQ transport, built only with the package trait
// `RabbitMQ`.
#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <amqp_framing.h>

// amqp_login is variadic, which Swift cannot call: this fixes its PLAIN arguments.
static inline amqp_rpc_reply_t customerflow_amqp_login_plain(
    amqp_connection_state_t state, const char *vhost, int heartbeat, const char *user, const char *password) {
    return amqp_login(state, vhost, 0, 131072, heartbeat, AMQP_SASL_METHOD_PLAIN, user, password);
}
