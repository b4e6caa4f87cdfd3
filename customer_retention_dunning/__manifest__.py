{
    "name": "Customer Retention Dunning",
    "summary": "Collect overdue invoices while keeping the customer: payment "
    "score, value at risk and escalation that fits each customer",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/customer-retention-dunning/customer_retention_dunning",
    "author": "Customer Retention Dunning",
    "license": "LGPL-3",
    "depends": ["account", "mail"],
    "data": [
        "security/customer_retention_dunning_groups.xml",
        "data/ir_cron_data.xml",
        "views/res_partner_views.xml",
        "views/account_move_views.xml",
        "views/res_config_settings_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "customer_retention_dunning/static/tests/tours/*.js",
        ],
    },
}
