//! Bounded sets of workers for slow, CPU- or memory-heavy work (argon2, reading an uploaded
//! file). Run on the blocking pool without a bound, such work from many clients at once took
//! gigabytes and starved every other request. At most `workers` run at once, up to `backlog`
//! more wait their turn, and beyond that the request is refused as busy (503) at once. Nothing
//! here holds a database connection: callers open one, if they need it, inside the work.

use std::sync::Arc;

use tokio::sync::Semaphore;

use crate::error::AppError;

pub struct Workers {
    running: Arc<Semaphore>,
    admitted: Arc<Semaphore>,
}

impl Workers {
    pub fn new(workers: usize, backlog: usize) -> Self {
        let workers = workers.max(1);
        Self {
            running: Arc::new(Semaphore::new(workers)),
            admitted: Arc::new(Semaphore::new(workers + backlog)),
        }
    }

    /// Runs `work` on a worker, or refuses with [`AppError::Busy`] when the backlog is full.
    pub async fn run<T, F>(&self, work: F) -> Result<T, AppError>
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        let _admitted = self.admitted.clone().try_acquire_owned().map_err(|_| AppError::Busy)?;
        let _running = self.running.clone().acquire_owned().await.map_err(AppError::internal)?;
        let span = tracing::Span::current();
        tokio::task::spawn_blocking(move || {
            let _entered = span.enter();
            work()
        })
        .await
        .map_err(AppError::internal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn workers_refuse_beyond_their_backlog() {
        let workers = Arc::new(Workers::new(1, 1));
        let (release, wait) = std::sync::mpsc::channel::<()>();
        let first = tokio::spawn({
            let workers = workers.clone();
            async move { workers.run(move || wait.recv().ok()).await.is_ok() }
        });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let second = tokio::spawn({
            let workers = workers.clone();
            async move { workers.run(|| ()).await.is_ok() }
        });
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert!(
            matches!(workers.run(|| ()).await, Err(AppError::Busy)),
            "one running, one waiting: full"
        );
        release.send(()).unwrap();
        assert!(first.await.unwrap() && second.await.unwrap());
        assert!(workers.run(|| ()).await.is_ok(), "free again");
    }
}
