import { registry } from "@web/core/registry";

// A credit manager opens the overview and drills down from its figures.
registry.category("web_tour.tours").add("customer_retention_dunning_overview", {
    steps: () => [
        {
            content: "The overview shows the overdue total",
            trigger: "button[name='action_open_overdue'] .o_field_widget[name='overdue_total']",
        },
        {
            content: "The value at risk is shown",
            trigger: "button[name='action_open_ageing'] .o_field_widget[name='value_at_risk_total']",
        },
        {
            content: "Open what is overdue",
            trigger: "button[name='action_open_overdue']",
            run: "click",
        },
        {
            content: "The overdue customer is in the ageing, grouped by customer",
            trigger: ".o_list_view .o_group_header:contains('Drukkerij Overzicht')",
            run: "click",
        },
        {
            content: "Its invoice is in the 31-60 days bucket",
            trigger: ".o_list_view .o_data_row .o_field_cell[name='amount_31_60']:contains('1,500.00')",
        },
        {
            content: "Back to the overview",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Overview')",
            run: "click",
        },
        {
            content: "Open DSO and CEI from its figure",
            trigger: "button[name='action_open_kpi']:first",
            run: "click",
        },
        {
            content: "The monthly trend is computed",
            trigger: ".o_notebook a:contains('Monthly Trend')",
        },
        {
            content: "Twelve months and more are listed",
            trigger: ".o_field_widget[name='month_ids'] .o_data_row",
        },
    ],
});
