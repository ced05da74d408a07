/**
 * The slice of ECharts the dashboard draws with. Only ever imported dynamically (EChart.tsx), so none of it is
 * in the first load of the admin page, and nothing of it reaches the capture bundle.
 */
import { BarChart, LineChart, PieChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { init, use } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

use([BarChart, LineChart, PieChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export { init };
