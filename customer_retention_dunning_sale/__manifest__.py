{
    "name": "Customer Retention Dunning - Sales",
    "summary": "A customer on credit hold cannot get a sale order confirmed "
    "except by a credit manager",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/customer-retention-dunning/customer_retention_dunning",
    "author": "Customer Retention Dunning",
    "license": "LGPL-3",
    "depends": ["customer_retention_dunning", "sale"],
    "data": [
        "views/sale_order_views.xml",
    ],
    "auto_install": True,
}
