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
        "security/ir.model.access.csv",
        "data/mail_template_data.xml",
        "data/dunning_profile_data.xml",
        "data/res_company_data.xml",
        "data/ir_cron_data.xml",
        "report/dunning_letter_report.xml",
        "views/dunning_profile_views.xml",
        "views/dunning_communication_views.xml",
        "views/dunning_promise_views.xml",
        "views/res_partner_views.xml",
        "views/dunning_collection_views.xml",
        "views/account_move_views.xml",
        "views/res_config_settings_views.xml",
        "wizard/dunning_preview_wizard_views.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "customer_retention_dunning/static/tests/tours/*.js",
        ],
    },
}
