/// The `/admin` page: one Mustache template, HTML escaped by default, styles inline (no CDN, no
/// script).
enum DashboardTemplate {
    static let page = #"""
    <!doctype html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta http-equiv="refresh" content="10">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>CustomerFlow — event bus</title>
    <style>
    body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5rem; color: #222; }
    h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
    .cards { display: flex; gap: 1rem; flex-wrap: wrap; }
    .card { border: 1px solid #ccd; border-radius: 6px; padding: .6rem 1rem; min-width: 8rem; }
    .card b { display: block; font-size: 1.5rem; }
    .bad b { color: #b00; }
    table { border-collapse: collapse; width: 100%; margin-top: .5rem; }
    th, td { border-bottom: 1px solid #e4e4ea; padding: .3rem .5rem; text-align: left; vertical-align: top; }
    td.error { color: #900; max-width: 40rem; overflow-wrap: anywhere; }
    code { font-size: 12px; }
    form.inline { display: inline; }
    button { cursor: pointer; }
    .bar { background: #4a7bd0; height: .8rem; }
    #publish-rate td, #publish-rate th { padding: .1rem .5rem; }
    </style>
    </head>
    <body>
    <h1>CustomerFlow event bus</h1>
    <p>Refreshes every 10 s. Generated at {{generatedAt}}.</p>

    <h2>Outbox</h2>
    <div class="cards" id="outbox-counts">
    {{#outbox}}
    <div class="card"><b id="outbox-pending">{{pending}}</b>pending ({{inFlight}} in flight)</div>
    <div class="card {{#anyFailed}}bad{{/anyFailed}}"><b id="outbox-failed">{{failed}}</b>failed</div>
    <div class="card"><b>{{published}}</b>published</div>
    <div class="card"><b>{{oldestPendingAge}}</b>oldest pending</div>
    <div class="card"><b>{{publishRate}}/s</b>published in the last minute ({{publishedLastMinute}})</div>
    {{/outbox}}
    </div>
    <table id="publish-rate" aria-label="Events published per minute">
    <tr><th>Minute</th><th>Published</th><th>per second</th><th style="width: 50%"></th></tr>
    {{#outbox}}{{#rate}}
    <tr><td>{{label}}</td><td>{{count}}</td><td>{{perSecond}}</td><td><div class="bar" style="width: {{width}}%"></div></td></tr>
    {{/rate}}{{/outbox}}
    </table>

    <h2>Inbox</h2>
    <div class="cards">
    {{#inbox}}
    <div class="card"><b>{{processed}}</b>processed ({{processedLastMinute}} in the last minute)</div>
    <div class="card {{#anyFailed}}bad{{/anyFailed}}"><b id="inbox-failed">{{failed}}</b>failed</div>
    <div class="card"><b>{{retrying}}</b>retrying</div>
    {{/inbox}}
    </div>

    <h2>Search</h2>
    <form method="get" action="/admin">
    <label>Customer id or event type <input type="search" name="q" value="{{query}}" size="40" placeholder="0195… or customer.registered.v1"></label>
    <button type="submit">Search</button>
    </form>
    {{#searched}}
    <table id="results">
    <tr><th>Event</th><th>Type</th><th>Customer</th><th>Version</th><th>Status</th><th>Attempts</th><th>Created</th><th>Last error</th></tr>
    {{#results}}
    <tr><td><code>{{id}}</code></td><td>{{type}}</td><td><code>{{subject}}</code></td><td>{{sequence}}</td><td>{{status}}</td><td>{{attempts}}</td><td>{{createdAt}}</td><td class="error">{{lastError}}</td></tr>
    {{/results}}
    {{^results}}<tr><td colspan="8">Nothing found.</td></tr>{{/results}}
    </table>
    {{/searched}}

    <h2>Failed events</h2>
    <table id="failed-outbox">
    <tr><th>Event</th><th>Type</th><th>Customer</th><th>Version</th><th>Attempts</th><th>Last error</th><th></th></tr>
    {{#failedOutbox}}
    <tr class="failed-event" data-id="{{id}}"><td><code>{{id}}</code></td><td>{{type}}</td><td><code>{{subject}}</code></td><td>{{sequence}}</td><td>{{attempts}}</td><td class="error">{{lastError}}</td>
    <td><form class="inline" method="post" action="/admin/dashboard/outbox/{{id}}/retry"><button type="submit" id="retry-{{id}}">Retry</button></form></td></tr>
    {{/failedOutbox}}
    {{^failedOutbox}}<tr><td colspan="7">None.</td></tr>{{/failedOutbox}}
    </table>

    <h2>Failed messages in the inbox</h2>
    <table id="failed-inbox">
    <tr><th>Group</th><th>Message</th><th>Type</th><th>Customer</th><th>Attempts</th><th>Last error</th><th></th></tr>
    {{#failedInbox}}
    <tr><td>{{group}}</td><td><code>{{messageID}}</code></td><td>{{type}}</td><td><code>{{subject}}</code></td><td>{{attempts}}</td><td class="error">{{lastError}}</td>
    <td><form class="inline" method="post" action="/admin/dashboard/inbox/{{position}}/retry"><button type="submit">Retry</button></form></td></tr>
    {{/failedInbox}}
    {{^failedInbox}}<tr><td colspan="7">None.</td></tr>{{/failedInbox}}
    </table>

    <h2>Failed webhook deliveries</h2>
    <table id="failed-webhooks">
    <tr><th>Subscription</th><th>Event</th><th>Type</th><th>Customer</th><th>Attempts</th><th>Status</th><th>Last error</th><th></th></tr>
    {{#failedWebhooks}}
    <tr class="failed-webhook" data-seq="{{position}}"><td><code>{{subscription}}</code></td><td><code>{{eventID}}</code></td><td>{{type}}</td><td><code>{{subject}}</code></td>
    <td>{{attempts}}</td><td>{{lastStatus}}</td><td class="error">{{lastError}}</td>
    <td><form class="inline" method="post" action="/admin/dashboard/webhooks/{{position}}/retry"><button type="submit">Redeliver</button></form></td></tr>
    {{/failedWebhooks}}
    {{^failedWebhooks}}<tr><td colspan="8">None.</td></tr>{{/failedWebhooks}}
    </table>
    </body>
    </html>
    """#
}
