{
    "name": "Customer Retention Dunning - Job Queue",
    "summary": "The nightly dunning work spread over OCA queue_job workers, "
    "one job per batch, never queued twice",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "website": "https://github.com/customer-retention-dunning/customer_retention_dunning",
    "author": "Customer Retention Dunning",
    "license": "LGPL-3",
    "depends": ["customer_retention_dunning", "queue_job"],
    "data": [
        "data/queue_job_channel_data.xml",
        "data/queue_job_function_data.xml",
    ],
    "auto_install": True,
}
