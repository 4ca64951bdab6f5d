#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <time.h>
static double now(){struct timespec t;clock_gettime(CLOCK_MONOTONIC,&t);return t.tv_sec+t.tv_nsec*1e-9;}
int main(int argc,char**argv){
  size_t chunk=50*1024, n=atoi(argv[2]); char*buf=malloc(chunk); memset(buf,'x',chunk);
  int fd=open(argv[1],O_RDWR|O_CREAT,0644);
  double t0=now(); for(size_t i=0;i<n;i++) pwrite(fd,buf,chunk,i*chunk); double t1=now();
  printf("append: %.2f ns/byte\n",(t1-t0)*1e9/(chunk*n));
  t0=now(); for(size_t i=0;i<n;i++) pwrite(fd,buf,chunk,i*chunk); t1=now();
  printf("overwrite cached: %.2f ns/byte\n",(t1-t0)*1e9/(chunk*n));
  close(fd); return 0;}
