# bench/chart.gp - the benchmark's chart: CPU per trap and burst delivery
# for each receiver.  Called by bench/run.sh with datafile and outfile.
set terminal pngcairo size 1000,480 font ",10"
set output outfile
set multiplot layout 1,2 title "linklog benchmark (loopback, same traffic)"
set style data histograms
set style fill solid 0.8 border -1
set boxwidth 0.7
set xtics rotate by -25 left nomirror
set grid ytics
set key off
set title "CPU per trap at a steady rate (us, lower is better)"
set yrange [0:*]
plot datafile using 2:xtic(1) linecolor rgb "#3060a0"
set title "100,000-trap burst delivered (%, higher is better)"
set yrange [0:105]
plot datafile using 3:xtic(1) linecolor rgb "#40a040"
unset multiplot
