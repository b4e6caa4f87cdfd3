import { registry } from "@web/core/registry";

// Click a chart's bar or point where a user would: at its centre on the
// canvas, so that Chart.js itself finds what was clicked.
function clickChartPoint(canvas, index) {
    const chart = window.Chart.getChart(canvas);
    if (!chart) {
        throw new Error("The chart is not drawn");
    }
    const points = chart.getDatasetMeta(0).data;
    const { x, y } = points[index < 0 ? points.length + index : index].getCenterPoint();
    const box = canvas.getBoundingClientRect();
    const position = { clientX: box.left + x, clientY: box.top + y, bubbles: true };
    canvas.dispatchEvent(new MouseEvent("mousemove", position));
    canvas.dispatchEvent(new MouseEvent("click", position));
}

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
            content: "Click the 31-60 days bar of the ageing chart",
            trigger: ".o_dunning_overview_chart[data-chart-type='bar'] canvas",
            run() {
                clickChartPoint(this.anchor, 2);
            },
        },
        {
            content: "The ageing list of that age opens",
            trigger: ".o_breadcrumb .active:contains('31-60 Days')",
        },
        {
            content: "It holds the invoice 45 days overdue",
            trigger: ".o_list_view .o_data_row:contains('Drukkerij Overzicht') .o_field_cell[name='amount_31_60']:contains('1,500.00')",
        },
        {
            content: "Back to the overview from the bar's list",
            trigger: ".o_breadcrumb .breadcrumb-item a:contains('Overview')",
            run: "click",
        },
        {
            content: "Click this month on the DSO chart",
            trigger: ".o_dunning_overview_chart[data-chart-type='line'] canvas",
            run() {
                clickChartPoint(this.anchor, -1);
            },
        },
        {
            content: "That month's figures open",
            trigger: ".o_breadcrumb .active:contains('DSO and CEI:')",
        },
        {
            content: "With its DSO",
            trigger: ".o_list_view .o_data_row .o_field_cell[name='dso_countback']",
        },
        {
            content: "Back to the overview from the month",
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
