import { registry } from "@web/core/registry";

// A customer opens the reminder e-mail's link (no account) and disputes
// the second invoice.
registry.category("web_tour.tours").add("customer_retention_dunning_dispute_from_email", {
    steps: () => [
        {
            content: "The reminder's open invoices are listed",
            trigger: ".o_dunning_reminder_invoices tbody tr:nth-child(3)",
        },
        {
            content: "Dispute the second invoice",
            trigger: ".o_dunning_reminder_invoices .o_dunning_dispute_toggle:last",
            run: "click",
        },
        {
            content: "Say what is wrong",
            trigger: ".o_dunning_dispute_form.show textarea[name='reason']",
            run: "edit The invoice counts 40 meters of hedge; we ordered 30.",
        },
        {
            content: "Send the dispute",
            trigger: ".o_dunning_dispute_form.show button[type='submit']",
            run: "click",
        },
        {
            content: "The customer reads that it was received",
            trigger: ".o_dunning_answer_flash:contains('we received your dispute')",
        },
        {
            content: "The invoice says it is disputed",
            trigger: ".o_dunning_reminder_invoices .o_dunning_disputed",
        },
    ],
});

// A logged-in customer asks for a plan of two instalments from the reminder.
registry.category("web_tour.tours").add("customer_retention_dunning_plan_request", {
    steps: () => [
        {
            content: "Both invoices are chosen; ask for a plan",
            trigger: ".o_dunning_plan_request_start button[type='submit']",
            run: "click",
        },
        {
            content: "Two instalments, once the page has loaded",
            trigger: "select[name='instalment_count']",
            async run({ anchor }) {
                // chosen while the page still loads, a choice can be lost
                if (document.readyState !== "complete") {
                    await new Promise((resolve) =>
                        window.addEventListener("load", resolve, { once: true })
                    );
                }
                anchor.value = "2";
                anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Two instalments are chosen",
            trigger: "select[name='instalment_count']:has(option[value='2']:checked)",
        },
        {
            content: "See the schedule",
            trigger: ".o_dunning_plan_preview",
            run: "click",
        },
        {
            content: "The schedule shows two dates, not more",
            trigger:
                ".o_dunning_plan_schedule tbody:not(:has(tr:nth-child(3))) tr:nth-child(2)",
        },
        {
            content: "Send the request, once the page has loaded",
            trigger: ".o_dunning_plan_request_send",
            async run({ anchor }) {
                // a form sent while the page still loads its lazy assets can
                // be dropped by the browser
                if (document.readyState !== "complete") {
                    await new Promise((resolve) =>
                        window.addEventListener("load", resolve, { once: true })
                    );
                }
                anchor.click();
            },
        },
        {
            content: "The request is under review",
            trigger: ".o_payment_plan_under_review",
        },
    ],
});
